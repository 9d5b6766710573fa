import { LibraryView } from './features/library/components/library-view';

export function App() {
  return (
    <main>
      <header>
        <h1>Rehearse</h1>
      </header>
      <LibraryView />
    </main>
  );
}
