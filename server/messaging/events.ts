import type { z } from "zod";
import { EVENT_TYPE } from "./envelope";

/** A domain event type a service emits: its name, schema version and payload schema (zod). */
export type EventDefinition<S extends z.ZodType = z.ZodType> = {
  type: string;
  version: number;
  payload: S;
  description: string;
};

/** Declares an event type of `service` (`templator.events.v<major>.<service>.<name>`). */
export function defineEvent<S extends z.ZodType>(service: string, name: string, payload: S, description: string, version = 1): EventDefinition<S> {
  const type = `templator.events.v1.${service}.${name}`;
  if (!EVENT_TYPE.test(type)) throw new Error(`"${type}" is not a valid event type`);
  return { type, version, payload, description };
}
