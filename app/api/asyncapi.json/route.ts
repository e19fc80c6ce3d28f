import { asyncApiDocument } from "@/lib/contract/asyncapi";

// Made once by `next build` and served as a file: the document follows from the code alone.
export const dynamic = "force-static";

/** The socket as AsyncAPI 3.0, for machines; /docs/api is the same for people. */
export function GET() {
  // Public and without credentials: tools on other sites (API explorers, generators) may read it.
  return Response.json(asyncApiDocument(), { headers: { "access-control-allow-origin": "*" } });
}
