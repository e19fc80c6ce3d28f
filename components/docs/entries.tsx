import type { ReactNode } from "react";
import type { EventView, RequestView, RouteView } from "@/lib/contract/reference";
import { Part, ShapeView } from "./fields";
import { Inline, Method, Prose, Tag } from "./prose";

const AUTH_WORDS = { user: "session or token", session: "browser session only", none: "no sign-in" } as const;

function Announces({ events }: { events: string[] }) {
  if (events.length === 0) return null;
  return (
    <p className="mt-4 text-sm text-muted">
      Then the socket says:{" "}
      {events.map((event, i) => (
        <span key={event}>
          {i > 0 ? ", " : ""}
          <a href={`#event-${event.replace(/[:-]([a-z])/g, (_, c: string) => c.toUpperCase())}`} className="font-mono text-[0.8125rem] text-link hover:underline">
            {event}
          </a>
        </span>
      ))}
    </p>
  );
}

function Errors({ errors }: { errors: { code: string; status?: number }[] }) {
  return (
    <div className="mt-4 flex flex-wrap items-center gap-1.5">
      <span className="mr-1 text-xs font-semibold tracking-wide text-muted uppercase">Errors</span>
      {errors.map(({ code, status }) => (
        <a key={code} href="#errors" className="rounded-md bg-sunken px-1.5 py-0.5 font-mono text-xs text-fg ring-1 ring-line hover:ring-accent">
          {status ? `${status} ` : ""}
          {code}
        </a>
      ))}
    </div>
  );
}

function Card({ id, children }: { id: string; children: ReactNode }) {
  return (
    <article id={id} className="scroll-mt-28 rounded-xl bg-surface p-4 shadow-sm ring-1 ring-line sm:p-5">
      {children}
    </article>
  );
}

/** A route's title is what it does (short); a socket entry's is its event's name, what it does said below. */
function Heading({ method, name, summary, tags, titled }: { method: string; name: string; summary: string; tags?: ReactNode; titled: "summary" | "name" }) {
  const nameLine = <code className="min-w-0 font-mono text-sm font-semibold break-all text-fg">{name}</code>;
  return (
    <>
      <div className="flex flex-wrap items-center gap-2">
        <Method method={method} />
        {titled === "name" ? <h3 className="min-w-0">{nameLine}</h3> : nameLine}
        {tags}
      </div>
      {titled === "summary" ? <h3 className="mt-2 text-base font-semibold text-fg">{summary}</h3> : (
        <p className="mt-2 text-sm leading-6 text-fg">
          <Inline text={summary} />
        </p>
      )}
    </>
  );
}

export function RouteEntry({ route }: { route: RouteView }) {
  const tags = (
    <span className="ml-auto flex flex-wrap gap-1.5">
      {route.scope ? <Tag tone="accent">scope: {route.scope}</Tag> : null}
      <Tag>{AUTH_WORDS[route.auth]}</Tag>
    </span>
  );
  return (
    <Card id={route.id}>
      <Heading method={route.method} name={route.path} summary={route.summary} tags={tags} titled="summary" />
      {route.description ? <Prose text={route.description} className="mt-1" /> : null}
      {route.params.length > 0 ? (
        <Part title="Parameters">
          <ShapeView shape={{ type: [], fields: route.params }} />
        </Part>
      ) : null}
      {route.body ? (
        <Part title="Body" aside={"raw" in route.body ? <span className="font-normal normal-case">raw bytes</span> : <span className="font-normal normal-case">JSON</span>}>
          {"raw" in route.body ? <Prose text={route.body.raw} /> : <ShapeView shape={route.body} />}
        </Part>
      ) : null}
      {route.answers.map((answer) => (
        <Part key={answer.status} title={String(answer.status)} aside={<span className="font-normal tracking-normal normal-case">{answer.description}</span>}>
          {answer.shape ? <ShapeView shape={answer.shape} /> : <p className="text-sm text-muted">{answer.media ? `Not JSON: ${answer.media.join(", ")}` : "No body."}</p>}
        </Part>
      ))}
      <Announces events={route.announces} />
      {route.errors.length > 0 ? <Errors errors={route.errors} /> : null}
    </Card>
  );
}

export function RequestEntry({ request }: { request: RequestView }) {
  return (
    <Card id={request.id}>
      <Heading
        method="EMIT"
        name={request.event}
        summary={request.summary}
        titled="name"
        tags={
          <span className="ml-auto flex flex-wrap gap-1.5">
            <Tag tone="accent">scope: {request.scope}</Tag>
          </span>
        }
      />
      <Part title="Payload">
        <ShapeView shape={request.payload} />
      </Part>
      <Part title="Ack" aside={<span className="font-normal tracking-normal normal-case">{"{ ok: true, data }"} with this data</span>}>
        <ShapeView shape={request.ack} />
      </Part>
      <Announces events={request.announces} />
      <Errors errors={request.errors.map((code) => ({ code }))} />
    </Card>
  );
}

export function EventEntry({ event }: { event: EventView }) {
  return (
    <Card id={event.id}>
      <Heading method="ON" name={event.event} summary={event.summary} titled="name" />
      <Prose text={`To ${event.to}.`} className="mt-1" />
      <Part title="Payload">
        <ShapeView shape={event.payload} />
      </Part>
    </Card>
  );
}
