import dgram from 'node:dgram';
import net from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { Answer, Packet } from 'dns-packet';
import { resolveQuestion } from './dns-resolver';
import type { ServiceTable } from './service-table';

export interface DnsServerOptions {
  table: ServiceTable;
  host: string;
  port: number;
  /** The cluster domain, e.g. "cluster.local". */
  domain: string;
  /** Where names outside the cluster domain go (Docker's embedded resolver). */
  upstream: { host: string; port: number };
  log: (message: string) => void;
}

const UPSTREAM_TIMEOUT_MS = 4000;
/** Classic DNS-over-UDP payload limit without EDNS. */
const UDP_LIMIT = 512;
const RCODE_SERVFAIL = 2;
const RESPONSE_FLAGS = dnsPacket.RECURSION_AVAILABLE;

/**
 * Serves cluster DNS over UDP and TCP. Cluster names are answered from the live table;
 * everything else is relayed byte for byte to the upstream resolver, so pods resolve
 * other containers and the internet as Docker would.
 */
export async function startDnsServer(options: DnsServerOptions): Promise<{ close(): void }> {
  const udp = dgram.createSocket('udp4');
  udp.on('message', (message, remote) => {
    void answer(options, message, UDP_LIMIT).then((reply) => {
      if (reply) udp.send(reply, remote.port, remote.address);
    });
  });
  udp.on('error', (error) => options.log(`dns udp: ${error.message}`));
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(options.port, options.host, () => resolve());
  });

  const tcp = net.createServer((socket) => {
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const length = pending.readUInt16BE(0);
        const message = pending.subarray(2, 2 + length);
        pending = pending.subarray(2 + length);
        void answer(options, message, 65535).then((reply) => {
          if (!reply || socket.destroyed) return;
          const prefix = Buffer.alloc(2);
          prefix.writeUInt16BE(reply.length);
          socket.write(Buffer.concat([prefix, reply]));
        });
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(options.port, options.host, () => resolve());
  });
  return {
    close() {
      udp.close();
      tcp.close();
    },
  };
}

async function answer(
  options: DnsServerOptions,
  message: Buffer,
  limit: number,
): Promise<Buffer | undefined> {
  let query: Packet;
  try {
    query = dnsPacket.decode(message);
  } catch {
    return undefined;
  }
  const question = query.questions?.[0];
  if (!question) return undefined;
  const resolution = resolveQuestion(options.table, question, options.domain);
  if (resolution.kind === 'forward') {
    return (await relay(options.upstream, message).catch(() => undefined)) ?? failure(query);
  }
  const answers: Answer[] = [...resolution.answers];
  if (resolution.chase) answers.push(...(await chase(options, resolution.chase, question.type)));
  const reply: Packet = {
    type: 'response',
    id: query.id,
    flags:
      RESPONSE_FLAGS |
      dnsPacket.AUTHORITATIVE_ANSWER |
      ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) |
      resolution.rcode,
    questions: [question],
    answers,
    authorities: resolution.authorities,
    additionals: resolution.additionals,
  };
  const encoded = dnsPacket.encode(reply);
  if (encoded.length <= limit) return encoded;
  // Too big for UDP: the client retries over TCP when it sees the truncation bit.
  return dnsPacket.encode({
    ...reply,
    answers: [],
    additionals: [],
    authorities: [],
    flags: (reply.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE,
  });
}

function failure(query: Packet): Buffer {
  return dnsPacket.encode({
    type: 'response',
    id: query.id,
    flags: RESPONSE_FLAGS | RCODE_SERVFAIL,
    questions: query.questions,
  });
}

/**
 * Resolves an ExternalName target: from the cluster when it names a cluster Service (one
 * level, so CNAME loops end), upstream otherwise; no answers when that fails.
 */
async function chase(options: DnsServerOptions, name: string, type: string): Promise<Answer[]> {
  const question = {
    type: type === 'AAAA' ? ('AAAA' as const) : ('A' as const),
    name: name.replace(/\.$/, ''),
  };
  const local = resolveQuestion(options.table, question, options.domain);
  if (local.kind === 'answer') return local.answers;
  const query = dnsPacket.encode({
    type: 'query',
    id: Math.floor(Math.random() * 65535),
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [question],
  });
  try {
    const reply = dnsPacket.decode(await relay(options.upstream, query));
    return reply.answers ?? [];
  } catch {
    return [];
  }
}

function relay(upstream: DnsServerOptions['upstream'], message: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('upstream DNS timed out'));
    }, UPSTREAM_TIMEOUT_MS);
    socket.once('message', (reply) => {
      clearTimeout(timer);
      socket.close();
      resolve(reply);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
    socket.send(message, upstream.port, upstream.host);
  });
}
