import { useEffect, useState } from 'react';

/** The current time, updated every `intervalMs`, so "5 minutes ago" and "expires in 3 days" stay true. */
export function useNow(intervalMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
