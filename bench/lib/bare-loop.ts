/**
 * The pipeline benchmark's yardstick: the least a bot can do for the same loop, in a process of its own.
 *
 * Started again with BARE_LOOP_CHILD set (the Graph URL), it serves one node:http server for every account's
 * callback: checks the signature (HMAC-SHA256 of the raw body, as any bot must), answers 200, parses the
 * JSON and, for each inbound text asking about an order, sends the same reply as the benchmark's rule through
 * the Send API (keep-alive, one Bearer token per account). Echo webhooks are checked and answered, nothing
 * more. It stores nothing, keeps no queue, retries nothing and paces nothing: what it manages on this machine,
 * with the same generator and emulator, bounds what any loop that also does those things can manage here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Agent, createServer, request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

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

/** Child mode: serve the accounts given on stdin's first line, print the origin, stop on SIGTERM. */
async function serveBareLoop(graphUrl: string): Promise<void> {
  const line = await new Promise<string>((resolve) =>
    createInterface({ input: process.stdin }).once('line', resolve),
  );
  const accounts = new Map((JSON.parse(line) as BareAccount[]).map((account) => [account.igId, account]));
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const send = (account: BareAccount, recipient: string, text: string) => {
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
      (res) => res.resume(),
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
      res.writeHead(200).end('EVENT_RECEIVED');
      const payload = JSON.parse(raw.toString('utf8')) as { entry?: { messaging?: Messaging[] }[] };
      for (const entry of payload.entry ?? [])
        for (const event of entry.messaging ?? []) {
          const match = event.message?.is_echo ? null : ASK.exec(event.message?.text ?? '');
          if (match && event.sender?.id) send(account, event.sender.id, `Order ${match[1]} received`);
        }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the bare loop has no port');
  process.stdout.write(`${JSON.stringify({ origin: `http://127.0.0.1:${address.port}` })}\n`);
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

if (process.env.BARE_LOOP_CHILD) await serveBareLoop(process.env.BARE_LOOP_CHILD);

export interface BareLoopProcess {
  child: ChildProcess;
  /** Where the accounts' callbacks go: `${origin}/webhooks/<igId>`. */
  origin: string;
}

export async function startBareLoop(graphUrl: string, accounts: BareAccount[]): Promise<BareLoopProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, BARE_LOOP_CHILD: graphUrl },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  child.stdin?.end(`${JSON.stringify(accounts)}\n`);
  const ready = await new Promise<{ origin: string }>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) =>
      resolve(JSON.parse(line) as { origin: string }),
    );
    child.once('exit', (code) => reject(new Error(`the bare loop exited with ${code}:\n${stderr}`)));
  });
  return { child, origin: ready.origin };
}

export async function stopBareLoop(loop: BareLoopProcess): Promise<void> {
  if (loop.child.exitCode !== null || loop.child.signalCode !== null) return;
  const exited = new Promise((resolve) => loop.child.once('exit', resolve));
  loop.child.kill('SIGTERM');
  await exited;
}
