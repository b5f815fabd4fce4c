/**
 * A small table-driven path matcher: the emulator's surface is Meta's, so
 * routes are literal segments and `:params`, matched in table order.
 */
export interface Route<H> {
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH' | 'PUT';
  /** e.g. `/:node/messages`; a `:name` segment matches any one segment. */
  path: string;
  handler: H;
}

/** Result of matching a request against a route table. */
export type RouteMatch<H> =
  | { kind: 'found'; handler: H; params: Record<string, string> }
  | { kind: 'wrong_method'; params: Record<string, string> }
  | { kind: 'none' };

function matchSegments(pattern: string[], segments: string[]): Record<string, string> | null {
  if (pattern.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] ?? '';
    const s = segments[i] ?? '';
    if (p.startsWith(':')) params[p.slice(1)] = s;
    else if (p !== s) return null;
  }
  return params;
}

/** Compile a table once; `match` is then a linear scan (tables are short). */
export function createRouter<H>(
  routes: ReadonlyArray<Route<H>>,
): (method: string, segments: string[]) => RouteMatch<H> {
  const compiled = routes.map((r) => ({ ...r, pattern: r.path.split('/').filter(Boolean) }));
  return (method, segments) => {
    let wrongMethod: Record<string, string> | null = null;
    for (const route of compiled) {
      const params = matchSegments(route.pattern, segments);
      if (!params) continue;
      if (route.method === method) return { kind: 'found', handler: route.handler, params };
      wrongMethod ??= params;
    }
    return wrongMethod ? { kind: 'wrong_method', params: wrongMethod } : { kind: 'none' };
  };
}
