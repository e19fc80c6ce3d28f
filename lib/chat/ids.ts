import { ObjectId } from "mongodb";
import type { z } from "zod";
import { AppError } from "../errors";

/** Inputs are validated as 24-hex strings first; this only changes their type for the driver. */
export function oid(id: string): ObjectId {
  if (!ObjectId.isValid(id) || !/^[a-f0-9]{24}$/.test(id)) throw new AppError("VALIDATION", "invalid id");
  return new ObjectId(id);
}

export type Actor = { userId: string };

/** Validates a use case's input with its schema; the first problem becomes a VALIDATION error. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw AppError.fromZod(result.error);
  return result.data;
}
