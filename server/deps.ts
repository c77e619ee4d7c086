import type { Knex } from 'knex';
import type { Clock } from '../core/clock.js';
import type { ServerConfig } from './config.js';

/** What the server is built from: given by bootstrap (or a test), read by every router. */
export interface ServerDeps {
  db: Knex;
  config: ServerConfig;
  clock: Clock;
}
