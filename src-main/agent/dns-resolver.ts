import type { Answer, Question, SoaAnswer, SrvAnswer } from 'dns-packet';
import type { EndpointEntry, ServiceEntry, ServiceTable } from './service-table';

/** TTL of cluster records: CoreDNS' kubernetes plugin default. */
export const CLUSTER_TTL = 5;

export const RCODE_NOERROR = 0;
export const RCODE_NXDOMAIN = 3;

/** What to do with one question: answer it from the cluster, or forward it upstream. */
export type Resolution =
  | { kind: 'forward' }
  | {
      kind: 'answer';
      rcode: number;
      answers: Answer[];
      additionals: Answer[];
      authorities: Answer[];
      /** An ExternalName target to resolve upstream and append, for A/AAAA questions. */
      chase?: string;
    };

/**
 * Answers one question following the Kubernetes DNS specification: `<svc>.<ns>.svc.<domain>`
 * (ClusterIP, or one A per endpoint for headless Services, CNAME for ExternalName),
 * `<hostname>.<svc>.<ns>.svc.<domain>` for endpoints of headless Services (StatefulSet pods),
 * `_<port>._<proto>.<svc>.<ns>.svc.<domain>` SRV records for named ports,
 * `<a-b-c-d>.<ns>.pod.<domain>`, and PTR records of ClusterIPs. Names under the cluster domain
 * that match nothing are NXDOMAIN; everything else is forwarded.
 */
export function resolveQuestion(table: ServiceTable, question: Question, domain: string): Resolution {
  const name = question.name.toLowerCase().replace(/\.$/, '');
  if (name.endsWith('.in-addr.arpa')) return reverse(table, question, name, domain);
  if (name !== domain && !name.endsWith(`.${domain}`)) return { kind: 'forward' };
  const rest = name === domain ? [] : name.slice(0, -(domain.length + 1)).split('.');
  const result = new AnswerBuilder(domain);
  const last = rest[rest.length - 1];
  if (rest.length === 0) return result.nodata();
  if (last === 'svc') return serviceNames(table, question, rest.slice(0, -1), domain, result);
  if (last === 'pod' && rest.length === 3) {
    const ip = undashIp(rest[0]);
    if (!ip) return result.nxdomain();
    return question.type === 'A'
      ? result.add({ type: 'A', name: question.name, data: ip }).done()
      : result.nodata();
  }
  if (last === 'pod' && rest.length <= 2) return result.nodata();
  return result.nxdomain();
}

function serviceNames(
  table: ServiceTable,
  question: Question,
  labels: string[],
  domain: string,
  result: AnswerBuilder,
): Resolution {
  if (labels.length === 0) return result.nodata();
  if (labels.length === 1) return table.hasNamespace(labels[0]) ? result.nodata() : result.nxdomain();
  if (labels.length === 2) {
    const service = table.getService(labels[1], labels[0]);
    if (!service) return result.nxdomain();
    return serviceRecords(table, question, service, domain, result, undefined);
  }
  if (labels.length === 3) {
    const service = table.getService(labels[2], labels[1]);
    if (!service?.headless) return result.nxdomain();
    const endpoint = endpointsOf(table, service).find(
      (e) => endpointLabel(e) === labels[0] || dashIp(e.ip) === labels[0],
    );
    if (!endpoint) return result.nxdomain();
    return question.type === 'A'
      ? result.add({ type: 'A', name: question.name, data: endpoint.ip }).done()
      : result.nodata();
  }
  if (labels.length === 4 && labels[0].startsWith('_') && labels[1].startsWith('_')) {
    const service = table.getService(labels[3], labels[2]);
    if (!service) return result.nxdomain();
    const portName = labels[0].slice(1);
    const protocol = labels[1].slice(1).toUpperCase();
    const port = service.ports.find((p) => p.name.toLowerCase() === portName && p.protocol === protocol);
    if (!port) return result.nxdomain();
    return serviceRecords(table, question, service, domain, result, port.name);
  }
  return result.nxdomain();
}

function serviceRecords(
  table: ServiceTable,
  question: Question,
  service: ServiceEntry,
  domain: string,
  result: AnswerBuilder,
  onlyPort: string | undefined,
): Resolution {
  const fqdn = `${service.name}.${service.namespace}.svc.${domain}`;
  if (service.type === 'ExternalName') {
    if (!service.externalName) return result.nxdomain();
    result.add({ type: 'CNAME', name: question.name, data: service.externalName.replace(/\.$/, '') });
    if (question.type === 'A' || question.type === 'AAAA') result.chase = service.externalName;
    return result.done();
  }
  const named = service.ports.filter((p) => (onlyPort === undefined ? p.name !== '' : p.name === onlyPort));
  if (!service.headless) {
    if (question.type === 'A') {
      for (const ip of service.clusterIPs) result.add({ type: 'A', name: question.name, data: ip });
    } else if (question.type === 'SRV') {
      for (const port of named) {
        result.add(srv(question.name, port.port, fqdn, 100));
      }
      for (const ip of service.clusterIPs) result.additional({ type: 'A', name: fqdn, data: ip });
    }
    return result.done();
  }
  const endpoints = endpointsOf(table, service);
  // CoreDNS answers NXDOMAIN for a headless Service without endpoints.
  if (endpoints.length === 0) return result.nxdomain();
  if (question.type === 'A') {
    for (const e of endpoints) result.add({ type: 'A', name: question.name, data: e.ip });
  } else if (question.type === 'SRV') {
    const weight = Math.max(1, Math.floor(100 / endpoints.length));
    for (const e of endpoints) {
      const target = `${endpointLabel(e) ?? dashIp(e.ip)}.${fqdn}`;
      for (const port of named) {
        const number = e.ports.get(`${port.name}/${port.protocol}`) ?? port.port;
        result.add(srv(question.name, number, target, weight));
      }
      result.additional({ type: 'A', name: target, data: e.ip });
    }
  }
  return result.done();
}

function reverse(table: ServiceTable, question: Question, name: string, domain: string): Resolution {
  const octets = name.slice(0, -'.in-addr.arpa'.length).split('.');
  if (octets.length !== 4 || question.type !== 'PTR') return { kind: 'forward' };
  const ip = [...octets].reverse().join('.');
  const service = table.serviceByClusterIP(ip);
  if (!service) return { kind: 'forward' };
  return new AnswerBuilder(domain)
    .add({ type: 'PTR', name: question.name, data: `${service.name}.${service.namespace}.svc.${domain}` })
    .done();
}

function endpointsOf(table: ServiceTable, service: ServiceEntry): EndpointEntry[] {
  return table.endpoints(service.namespace, service.name, service.publishNotReadyAddresses);
}

function endpointLabel(e: EndpointEntry): string | undefined {
  return e.hostname?.toLowerCase();
}

function dashIp(ip: string): string {
  return ip.replace(/\./g, '-');
}

function undashIp(label: string): string | undefined {
  const parts = label.split('-');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.join('.');
}

function srv(name: string, port: number, target: string, weight: number): SrvAnswer {
  return { type: 'SRV', name, ttl: CLUSTER_TTL, data: { priority: 0, weight, port, target } };
}

class AnswerBuilder {
  chase: string | undefined;
  private readonly answers: Answer[] = [];
  private readonly additionals: Answer[] = [];

  constructor(private readonly domain: string) {}

  add(answer: Answer): this {
    this.answers.push({ ...answer, ttl: CLUSTER_TTL } as Answer);
    return this;
  }

  additional(answer: Answer): this {
    this.additionals.push({ ...answer, ttl: CLUSTER_TTL } as Answer);
    return this;
  }

  /** An existing name: NOERROR, possibly without records (NODATA, with the SOA). */
  done(): Resolution {
    return {
      kind: 'answer',
      rcode: RCODE_NOERROR,
      answers: this.answers,
      additionals: this.additionals,
      authorities: this.answers.length ? [] : [this.soa()],
      chase: this.chase,
    };
  }

  nodata(): Resolution {
    return this.done();
  }

  nxdomain(): Resolution {
    return { kind: 'answer', rcode: RCODE_NXDOMAIN, answers: [], additionals: [], authorities: [this.soa()] };
  }

  private soa(): SoaAnswer {
    return {
      type: 'SOA',
      name: this.domain,
      ttl: CLUSTER_TTL,
      data: {
        mname: `ns.dns.${this.domain}`,
        rname: `hostmaster.${this.domain}`,
        serial: Math.floor(Date.now() / 1000),
        refresh: 7200,
        retry: 1800,
        expire: 86400,
        minimum: CLUSTER_TTL,
      },
    };
  }
}
