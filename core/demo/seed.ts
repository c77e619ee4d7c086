import type { CoreContext } from '../context.js';

// Placeholder until the demo seed lands.
export async function seedDemoIfEmpty(ctx: CoreContext): Promise<boolean> {
  const row = await ctx.db('families').count({ n: '*' }).first();
  return Number(row?.n ?? 0) === 0 && false;
}
