/**
 * Starts a worker thread held to a V8 heap limit and waits for its ready message: the one way
 * @wendao/ingest's ParserPool and @wendao/intent's IntentTrainer start theirs. From TypeScript
 * sources (tests, vitest) the worker runs the .ts script itself; the built app runs the compiled .js.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface StartWorkerOptions {
  /** The worker script: a .js file runs as it is, a .ts file is compiled on require. */
  script: string;
  /** V8 old-generation heap in MiB; running out ends that worker only (ERR_WORKER_OUT_OF_MEMORY). */
  maxHeapMb: number;
  /** Names the worker in errors: "parser worker", "intent training worker". */
  name: string;
  /**
   * Holds the worker from its start, before it is ready, until it exits: the owner's close
   * terminates every worker in it, starting ones included.
   */
  live?: Set<Worker>;
}

/**
 * The worker compiles .ts on require with TypeScript's transpileModule and maps the @wendao/*
 * aliases to libs/<name>/src. (Not @swc/core here: its native addon crashes the process when loaded
 * again in a new worker after a worker holding it was terminated.)
 */
const TS_BOOTSTRAP = `
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const Module = require('node:module');
const { workerData } = require('node:worker_threads');
const ts = require('typescript');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const alias = /^@wendao\\/([a-z-]+)$/.exec(request);
  return resolve.call(this, alias ? join(workerData.root, 'libs', alias[1], 'src') : request, ...rest);
};
require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, inlineSourceMap: true },
  });
  module._compile(outputText, filename);
};
require(workerData.script);
`;

function projectRoot(from: string): string | undefined {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir))
    if (existsSync(join(dir, '.swcrc'))) return dir;
  return undefined;
}

/** `<dir>/<name>.js` where the build put it, else `<dir>/<name>.ts` (running from sources). */
export function workerScript(dir: string, name: string): string {
  const js = join(dir, `${name}.js`);
  return existsSync(js) ? js : join(dir, `${name}.ts`);
}

/**
 * A started worker, unref'd (it keeps no process alive), once it has posted its first message;
 * an error before that, or no message within 60 s, terminates it and rejects.
 */
export async function startWorker(options: StartWorkerOptions): Promise<Worker> {
  const { script, maxHeapMb, name } = options;
  const resourceLimits = {
    maxOldGenerationSizeMb: maxHeapMb,
    maxYoungGenerationSizeMb: Math.min(64, Math.max(8, Math.floor(maxHeapMb / 8))),
  };
  let worker: Worker;
  if (script.endsWith('.ts')) {
    const root = projectRoot(dirname(script));
    if (!root) throw new Error(`no .swcrc above ${script} to compile the ${name} with`);
    worker = new Worker(TS_BOOTSTRAP, { eval: true, workerData: { script, root }, resourceLimits });
  } else {
    worker = new Worker(script, { resourceLimits });
  }
  const { live } = options;
  if (live) {
    live.add(worker);
    worker.once('exit', () => live.delete(worker));
  }
  worker.unref();
  await new Promise<void>((resolve, reject) => {
    const fail = (err: Error) => {
      clearTimeout(timer);
      worker.off('message', ready);
      void worker.terminate();
      reject(new Error(`${name} failed to start: ${err.message}`));
    };
    const ready = () => {
      clearTimeout(timer);
      worker.off('error', fail);
      resolve();
    };
    const timer = setTimeout(() => fail(new Error('no ready signal within 60 s')), 60_000);
    worker.once('error', fail);
    worker.once('message', ready);
  });
  return worker;
}
