import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { sections } from './sections';

/** Ctrl+1…5 (⌘ on macOS) jumps between sections from anywhere, even while typing. */
export function useSectionShortcuts(): void {
  const navigate = useNavigate();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      const section = sections.find((candidate) => candidate.shortcut === event.key);
      if (!section) return;
      event.preventDefault();
      void navigate(section.path);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [navigate]);
}
