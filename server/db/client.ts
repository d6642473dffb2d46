import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import type { SchemaName } from "./schemas";

type ClientClass<C> = new (opts: { adapter: PrismaPg }) => C;

/** A schema's generated Prisma client on the process's shared pool, qualified to that schema. */
export function serviceClient<C>(Client: ClientClass<C>, pool: pg.Pool, schema: SchemaName): C {
  return new Client({ adapter: new PrismaPg(pool, { schema }) });
}
