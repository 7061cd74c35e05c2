import type { V1Ingress } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { IngressRoutes, servedByUs } from './ingress-routes';

function ingress(name: string, spec: V1Ingress['spec'], created = '2026-01-01T00:00:00Z'): V1Ingress {
  return { metadata: { name, namespace: 'default', creationTimestamp: created as unknown as Date }, spec };
}

function backend(service: string, port: number | string) {
  return { service: { name: service, port: typeof port === 'number' ? { number: port } : { name: port } } };
}

describe('IngressRoutes', () => {
  const routes = new IngressRoutes([
    ingress('main', {
      defaultBackend: backend('fallback', 80),
      rules: [
        {
          host: 'shop.example.com',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: backend('front', 80) },
              { path: '/api', pathType: 'Prefix', backend: backend('api', 'http') },
              { path: '/api/health', pathType: 'Exact', backend: backend('health', 8080) },
              { path: '/static', pathType: 'ImplementationSpecific', backend: backend('static', 80) },
            ],
          },
        },
        {
          host: '*.example.com',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('wild', 80) }] },
        },
        { http: { paths: [{ path: '/any', pathType: 'Prefix', backend: backend('anyhost', 80) }] } },
      ],
    }),
  ]);
  const target = (host: string, path: string) => routes.match(host, path)?.target.service;

  it('matches Prefix element-wise, longest first, Exact before Prefix', () => {
    expect(target('shop.example.com', '/')).toBe('front');
    expect(target('shop.example.com:8080', '/api')).toBe('api');
    expect(target('shop.example.com', '/api/v1?x=1')).toBe('api');
    expect(target('shop.example.com', '/apis')).toBe('front');
    expect(target('shop.example.com', '/api/health')).toBe('health');
    expect(target('shop.example.com', '/api/health/x')).toBe('api');
    expect(target('shop.example.com', '/static/app.js')).toBe('static');
    expect(routes.match('shop.example.com', '/api')?.target.port).toEqual({
      name: 'http',
      number: undefined,
    });
  });

  it('prefers exact hosts over wildcards over rules without host, then the default backend', () => {
    expect(target('blog.example.com', '/x')).toBe('wild');
    expect(target('a.b.example.com', '/x')).toBe('fallback');
    expect(target('other.test', '/any/thing')).toBe('anyhost');
    expect(target('other.test', '/')).toBe('fallback');
  });

  it('serves Ingresses of class nginx, or without class when nginx is the default', () => {
    const nginxDefault = [
      { metadata: { name: 'nginx', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } },
    ];
    expect(servedByUs(ingress('a', { ingressClassName: 'nginx' }), [])).toBe(true);
    expect(servedByUs(ingress('a', { ingressClassName: 'traefik' }), nginxDefault)).toBe(false);
    expect(servedByUs(ingress('a', {}), nginxDefault)).toBe(true);
    expect(
      servedByUs(ingress('a', {}), [
        {
          metadata: { name: 'other', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
        },
      ]),
    ).toBe(false);
  });
});

describe('ingress-nginx annotations', () => {
  it('rewrites with rewrite-target and capture groups, keeping the query', () => {
    const routes = new IngressRoutes([
      {
        metadata: {
          name: 'r',
          namespace: 'default',
          annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' },
        },
        spec: {
          rules: [
            {
              http: {
                paths: [
                  {
                    path: '/something(/|$)(.*)',
                    pathType: 'ImplementationSpecific',
                    backend: backend('svc', 80),
                  },
                ],
              },
            },
          ],
        },
      },
    ]);
    expect(routes.match('x', '/something/new?a=1')?.rewrittenUrl).toBe('/new?a=1');
    expect(routes.match('x', '/something')?.rewrittenUrl).toBe('/');
    expect(routes.match('x', '/other')).toBeUndefined();
  });

  it('redirects plain HTTP for TLS hosts unless ssl-redirect is false', () => {
    const tlsIngress = (annotations: Record<string, string>) =>
      new IngressRoutes([
        {
          metadata: { name: 't', namespace: 'default', annotations },
          spec: {
            tls: [{ hosts: ['secure.test'], secretName: 's' }],
            rules: [
              {
                host: 'secure.test',
                http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('svc', 80) }] },
              },
              {
                host: 'plain.test',
                http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('svc', 80) }] },
              },
            ],
          },
        },
      ]);
    expect(tlsIngress({}).match('secure.test', '/')?.redirectToHttps).toBe(true);
    expect(tlsIngress({}).match('plain.test', '/')?.redirectToHttps).toBe(false);
    expect(
      tlsIngress({ 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' }).match('secure.test', '/')
        ?.redirectToHttps,
    ).toBe(false);
    expect(
      tlsIngress({ 'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true' }).match('plain.test', '/')
        ?.redirectToHttps,
    ).toBe(true);
  });
});
