/**
 * The pipeline benchmark's yardstick: the least a bot can do for the same loop, in a process of its own.
 *
 * Started again with BARE_LOOP_CHILD set (the Graph URL), it serves one node:http server for every account's
 * callback: checks the signature (HMAC-SHA256 of the raw body, as any bot must), answers 200, parses the
 * JSON and, for each inbound text asking about an order, sends the same reply as the benchmark's rule through
 * the Send API (keep-alive, one Bearer token per account). Echo webhooks are checked and answered, nothing
 * more. It stores nothing, keeps no queue, retries nothing and paces nothing: what it manages on this machine,
 * with the same generator and emulator, bounds what any loop that also does those things can manage here.
 *
 * With a database file (`startBareLoop(…, { storeIn })`), the same bot also keeps the least that keeps the
 * product's promises (no acknowledged DM lost, no reply sent twice after a crash): each delivery is stored before
 * its 200, each reply is stored before it is sent and marked sent with Meta's message id after. SQLite in WAL
 * mode with `synchronous = full`, as the app; the writes of one turn of the event loop share one commit (group
 * commit). What this manages bounds what a loop that stores as the app must can manage here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Agent, createServer, request } from 'node:http';
import Libsql from 'libsql';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { readyLine, stopChild } from './child-process';

/** Per account (its webhook path's last segment, the Instagram account id): what the bot needs. */
export interface BareAccount {
  igId: string;
  appSecret: string;
  token: string;
}

const ASK = /order (\d+)/i;

interface Messaging {
  sender?: { id?: string };
  message?: { text?: string; is_echo?: boolean };
}

/** The durable bot's writes; each runs in the commit of its turn of the event loop, then calls `then`. */
interface DurableStore {
  delivery(body: Buffer, then: () => void): void;
  reply(recipient: string, text: string, then: (id: number) => void): void;
  sent(id: number, graphId: string): void;
}

function durableStore(file: string): DurableStore {
  const db = new Libsql(file);
  db.exec('pragma journal_mode = wal');
  db.exec('pragma synchronous = full');
  db.exec('create table deliveries (id integer primary key, body text not null)');
  db.exec(
    'create table replies (id integer primary key, recipient text not null, text text not null, graph_id text)',
  );
  const insertDelivery = db.prepare('insert into deliveries (body) values (?)');
  const insertReply = db.prepare('insert into replies (recipient, text) values (?, ?)');
  const markSent = db.prepare('update replies set graph_id = ? where id = ?');
  let pending: (() => () => void)[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    db.exec('begin immediate');
    const after = batch.map((work) => work());
    db.exec('commit');
    for (const then of after) then();
  };
  const write = (work: () => () => void) => {
    if (pending.length === 0) setImmediate(flush);
    pending.push(work);
  };
  return {
    delivery: (body, then) =>
      write(() => {
        // As text, as the app stores a body (and libsql 0.5 panics when a Buffer is bound).
        insertDelivery.run(body.toString('utf8'));
        return then;
      }),
    reply: (recipient, text, then) =>
      write(() => {
        const id = Number(insertReply.run(recipient, text).lastInsertRowid);
        return () => then(id);
      }),
    sent: (id, graphId) =>
      write(() => {
        markSent.run(graphId, id);
        return () => undefined;
      }),
  };
}

/** Child mode: serve the accounts given on stdin's first line, print the origin, stop on SIGTERM. */
async function serveBareLoop(graphUrl: string, storeIn: string | undefined): Promise<void> {
  const store = storeIn ? durableStore(storeIn) : undefined;
  const line = await new Promise<string>((resolve) =>
    createInterface({ input: process.stdin }).once('line', resolve),
  );
  const accounts = new Map((JSON.parse(line) as BareAccount[]).map((account) => [account.igId, account]));
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const send = (account: BareAccount, recipient: string, text: string, sent?: (graphId: string) => void) => {
    const body = JSON.stringify({ recipient: { id: recipient }, message: { text } });
    const req = request(
      `${graphUrl}/v25.0/me/messages`,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${account.token}`,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
        },
      },
      (res) => {
        if (!sent) return res.resume();
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          try {
            const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { message_id?: string };
            if (answer.message_id) sent(answer.message_id);
          } catch {
            // Not JSON: an error page. The bot retries nothing.
          }
        });
      },
    );
    req.on('error', () => undefined);
    req.end(body);
  };
  const server = createServer((req, res) => {
    const account = accounts.get(req.url?.split('/').pop() ?? '');
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const signature = Buffer.from(String(req.headers['x-hub-signature-256'] ?? ''));
      const expected = account
        ? Buffer.from(`sha256=${createHmac('sha256', account.appSecret).update(raw).digest('hex')}`)
        : Buffer.alloc(0);
      if (!account || signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
        res.writeHead(403).end();
        return;
      }
      const answer = () => {
        res.writeHead(200).end('EVENT_RECEIVED');
        const payload = JSON.parse(raw.toString('utf8')) as { entry?: { messaging?: Messaging[] }[] };
        for (const entry of payload.entry ?? [])
          for (const event of entry.messaging ?? []) {
            const match = event.message?.is_echo ? null : ASK.exec(event.message?.text ?? '');
            const recipient = event.sender?.id;
            if (!match || !recipient) continue;
            const text = `Order ${match[1]} received`;
            if (!store) send(account, recipient, text);
            else
              store.reply(recipient, text, (id) =>
                send(account, recipient, text, (graphId) => store.sent(id, graphId)),
              );
          }
      };
      if (store) store.delivery(raw, answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the bare loop has no port');
  process.stdout.write(`${JSON.stringify({ origin: `http://127.0.0.1:${address.port}` })}\n`);
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

if (process.env.BARE_LOOP_CHILD)
  await serveBareLoop(process.env.BARE_LOOP_CHILD, process.env.BARE_LOOP_STORE);

export interface BareLoopProcess {
  child: ChildProcess;
  /** Where the accounts' callbacks go: `${origin}/webhooks/<igId>`. */
  origin: string;
}

/** Starts the bot; with `storeIn` (a new SQLite file), the durable one. */
export async function startBareLoop(
  graphUrl: string,
  accounts: BareAccount[],
  options: { storeIn?: string } = {},
): Promise<BareLoopProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      BARE_LOOP_CHILD: graphUrl,
      ...(options.storeIn ? { BARE_LOOP_STORE: options.storeIn } : {}),
    },
  });
  child.stdin?.end(`${JSON.stringify(accounts)}\n`);
  const ready = await readyLine<{ origin: string }>(child, 'the bare loop');
  return { child, origin: ready.origin };
}

export function stopBareLoop(loop: BareLoopProcess): Promise<void> {
  return stopChild(loop.child);
}
