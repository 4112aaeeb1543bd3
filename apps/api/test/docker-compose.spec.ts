/**
 * The deployment files, checked without a Docker engine: docker-compose.yml (parsed with `yaml`)
 * runs postgres, redis, two API replicas, one worker and nginx, with health checks on /ready, the
 * volumes it mounts declared, and only environment variables that loadConfig reads (and accepts);
 * nginx balances over exactly the API replicas with websocket upgrade and sticky clients; the
 * Dockerfile is multi-stage, runs as a non-root user and takes models from a volume.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../src/config/app-config';

const ROOT = resolve(__dirname, '../../..');
const read = (path: string) => readFileSync(resolve(ROOT, path), 'utf8');

interface Service {
  build?: unknown;
  image?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test?: string[] | string; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  stop_grace_period?: string;
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const wendao = ['api-1', 'api-2', 'worker'];
const healthTest = (s: Service) => [s.healthcheck?.test ?? []].flat().join(' ');

/** The variables loadConfig reads from `env` (a proxy records every lookup). */
function variablesRead(env: Record<string, string>): Set<string> {
  const read = new Set<string>();
  loadConfig(
    new Proxy(env, {
      get(target, name) {
        if (typeof name === 'string') read.add(name);
        return target[name as string];
      },
    }),
  );
  return read;
}

describe('docker-compose.yml, nginx and the Dockerfile', () => {
  it('runs postgres, redis, two API replicas, one worker and a load balancer', () => {
    expect(Object.keys(services).sort()).toEqual(['api-1', 'api-2', 'lb', 'postgres', 'redis', 'worker']);
    for (const name of wendao) {
      expect(services[name].build, name).toBe('.');
      expect(services[name].image, name).toBe('wendao:latest');
      expect(services[name].depends_on, name).toMatchObject({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
    }
    expect(services['api-1'].environment!.WENDAO_ROLE).toBe('api');
    expect(services['api-2'].environment!.WENDAO_ROLE).toBe('api');
    expect(services.worker.environment!.WENDAO_ROLE).toBe('worker');
    // Only the load balancer is published.
    expect(
      Object.entries(services)
        .filter(([, s]) => s.ports)
        .map(([name]) => name),
    ).toEqual(['lb']);
    for (const name of wendao) {
      const env = services[name].environment!;
      expect(new URL(env.DATABASE_URL).hostname).toBe('postgres');
      expect(new URL(env.REDIS_URL).hostname).toBe('redis');
    }
  });

  it('sets only environment variables that loadConfig reads, with values it accepts', () => {
    for (const name of wendao) {
      const env = services[name].environment!;
      const read = variablesRead(env);
      expect(
        Object.keys(env).filter((key) => !read.has(key)),
        `${name} sets variables the app never reads`,
      ).toEqual([]);
      const config = loadConfig(env);
      expect(config.redisUrl).toBeDefined();
      expect(config.modelsDir).toBe('/models');
    }
  });

  it('checks health on /ready and starts the load balancer after healthy replicas', () => {
    for (const name of ['api-1', 'api-2', 'lb']) expect(healthTest(services[name]), name).toContain('/ready');
    expect(healthTest(services.postgres)).toContain('pg_isready');
    expect(healthTest(services.redis)).toContain('ping');
    expect(services.lb.depends_on).toEqual({
      'api-1': { condition: 'service_healthy' },
      'api-2': { condition: 'service_healthy' },
    });
  });

  it('gives every Wendao process longer to stop than its drain, the worker its job', () => {
    // The API replicas had Docker's default 10 s: exactly the drain's grace for requests in flight,
    // so a replica still draining (then closing its queue and pool) was SIGKILLed.
    const seconds = (s: Service) => {
      const m = /^(\d+)(s|m)$/.exec(s.stop_grace_period ?? '');
      return m ? Number(m[1]) * (m[2] === 'm' ? 60 : 1) : 10;
    };
    for (const name of ['api-1', 'api-2']) expect(seconds(services[name]), name).toBeGreaterThanOrEqual(20);
    expect(seconds(services.worker)).toBe(120);
  });

  it('mounts declared volumes: models read-only, a data volume per replica, the databases', () => {
    const named = (s: Service) =>
      (s.volumes ?? []).map((v) => v.split(':')[0]).filter((v) => !v.startsWith('.'));
    for (const [name, s] of Object.entries(services))
      for (const volume of named(s))
        expect(Object.keys(compose.volumes), `${name}: ${volume}`).toContain(volume);
    const dataVolumes = wendao.map((name) => {
      const s = services[name];
      expect(s.volumes, name).toContain('./models:/models:ro');
      const data = s.volumes!.find((v) => v.endsWith(`:${s.environment!.WENDAO_DATA_DIR}`));
      expect(data, `${name} keeps WENDAO_DATA_DIR on a volume`).toBeDefined();
      return data!.split(':')[0];
    });
    expect(new Set(dataVolumes).size).toBe(3);
    expect(named(services.postgres)).toEqual(['pgdata']);
    expect(named(services.redis)).toEqual(['redisdata']);
  });

  it('nginx balances over exactly the API replicas, sticky, with websocket upgrade and unbuffered events', () => {
    const nginx = read('deploy/nginx.conf');
    const upstream = [...nginx.matchAll(/^\s*server\s+([\w-]+):(\d+)/gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(upstream).toEqual(['api-1:3000', 'api-2:3000']);
    expect(nginx).toMatch(/\bip_hash;/);
    expect(nginx).toMatch(/location \/socket\.io\/ \{[^}]*proxy_set_header Upgrade \$http_upgrade;/);
    expect(nginx).toMatch(/location \/api\/jobs\/ \{[^}]*proxy_buffering off;/);
    expect(services.lb.volumes).toContain('./deploy/nginx.conf:/etc/nginx/nginx.conf:ro');
  });

  it('nginx passes the Host header the browser sent, port included', () => {
    // The lb publishes its port 80 as another (8080): `$host` drops the port and `$server_port` is
    // nginx's own 80, so the app would see http://localhost instead of http://localhost:8080.
    const nginx = read('deploy/nginx.conf');
    const hostHeaders = [...nginx.matchAll(/proxy_set_header\s+Host\s+([^;]+);/g)].map((m) => m[1]);
    expect(hostHeaders).toEqual(['$http_host']);
    expect(services.lb.ports).toEqual(['8080:80']);
  });

  it('the Dockerfile is multi-stage, runs as a non-root user and reads models from a volume', () => {
    const dockerfile = read('Dockerfile');
    const stages = dockerfile.split(/^FROM /m).slice(1);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const runtime = stages[stages.length - 1];
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^VOLUME \[[^\]]*"\/models"/m);
    expect(runtime).toMatch(/WENDAO_MODELS_DIR=\/models/);
    const start = JSON.parse(read('package.json')).scripts.start as string;
    expect(runtime).toContain(`CMD ["node", "${start.replace(/^node /, '')}"]`);
    expect(read('.dockerignore').split('\n')).toEqual(
      expect.arrayContaining(['node_modules', 'models', '.git']),
    );
  });
});
