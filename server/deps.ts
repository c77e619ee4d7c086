import type { Knex } from 'knex';
import type { Clock } from '../core/clock.js';
import type { Ports } from '../core/ports.js';
import { nodePorts } from '../core/adapters/node-ports.js';
import type { ServerConfig } from './config.js';

/** What the server is built from: given by bootstrap (or a test), read by every router. */
export interface ServerDeps {
  db: Knex;
  config: ServerConfig;
  clock: Clock;
  /** PayFiP, SMTP and the document store; by default the real adapters on config.dataDir. */
  ports?: Ports;
}

const defaultPorts = new WeakMap<ServerDeps, Ports>();

/** The ports core gets from this server: the ones given, else one set of real adapters per deps. */
export function serverPorts(deps: ServerDeps): Ports {
  if (deps.ports) return deps.ports;
  let ports = defaultPorts.get(deps);
  if (!ports) {
    ports = nodePorts(deps.config.dataDir);
    defaultPorts.set(deps, ports);
  }
  return ports;
}
