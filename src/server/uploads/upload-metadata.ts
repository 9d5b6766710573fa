/**
 * The tus `Upload-Metadata` header: comma-separated pairs of a key and an optional base64 value
 * (tus 1.0.0, "creation" extension). Returns undefined when the header is malformed.
 */
const KEY = /^[^\s,]+$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function parseUploadMetadata(header: string | undefined): Record<string, string> | undefined {
  if (header === undefined || header.trim() === '') return {};
  const metadata: Record<string, string> = {};
  for (const pair of header.split(',')) {
    const [key, value, ...rest] = pair.trim().split(' ');
    if (!key || !KEY.test(key) || rest.length > 0 || key in metadata) return undefined;
    if (value !== undefined && !BASE64.test(value)) return undefined;
    metadata[key] = value === undefined ? '' : Buffer.from(value, 'base64').toString('utf8');
  }
  return metadata;
}
