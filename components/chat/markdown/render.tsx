// The Markdown a message may use, turned into React elements: bold, italic, strikethrough,
// inline code, code blocks, quotes, lists, and links (written, or found bare: URLs and emails).
// marked's lexer only reads the text into tokens; nothing here produces HTML, so whatever a token
// holds reaches the page as text. Every other construct (headings, tables, images, raw HTML,
// rules, link definitions) is shown exactly as it was typed: no remote image is ever fetched.
import { Lexer, type Token, type Tokens } from "marked";
import type { ReactNode } from "react";

const SAFE_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/**
 * The address a link may point at, or null. Only absolute http, https and mailto URLs: a relative
 * or scheme-less href (including an entity-encoded "&#106;avascript:") is refused, not guessed at.
 */
export function safeHref(href: string): string | null {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  if (!SAFE_PROTOCOLS.has(url.protocol)) return null;
  if (url.protocol === "mailto:" ? url.pathname.length === 0 : url.hostname.length === 0) return null;
  return url.href;
}

const lexer = () => new Lexer({ gfm: true, breaks: true });

/** Inline tokens (inside a paragraph, a list item, a link). */
function inline(tokens: Token[] | undefined, key: string): ReactNode[] {
  return (tokens ?? []).map((token, index) => inlineToken(token, `${key}.${index}`));
}

function inlineToken(token: Token, key: string): ReactNode {
  switch (token.type) {
    case "text": {
      const text = token as Tokens.Text;
      // `raw`, not `text`: marked decodes numeric character references ("&#40;" becomes "("), and
      // a message shows what was typed.
      return text.tokens ? <span key={key}>{inline(text.tokens, key)}</span> : text.raw;
    }
    case "escape":
      return (token as Tokens.Escape).text;
    case "strong":
      return <strong key={key}>{inline((token as Tokens.Strong).tokens, key)}</strong>;
    case "em":
      return <em key={key}>{inline((token as Tokens.Em).tokens, key)}</em>;
    case "del":
      return <del key={key}>{inline((token as Tokens.Del).tokens, key)}</del>;
    case "codespan":
      return (
        <code key={key} className="rounded bg-black/10 px-1 py-px font-mono text-[0.9em] dark:bg-white/10">
          {(token as Tokens.Codespan).text}
        </code>
      );
    case "br":
      return <br key={key} />;
    case "link": {
      const link = token as Tokens.Link;
      const href = safeHref(link.href);
      if (href === null) return link.raw;
      return (
        <a key={key} href={href} target="_blank" rel="noopener noreferrer nofollow" className="break-words underline underline-offset-2">
          {inline(link.tokens, key)}
        </a>
      );
    }
    default:
      // html, image, checkbox and anything a later marked adds: as typed.
      return token.raw;
  }
}

function block(tokens: Token[], key: string): ReactNode[] {
  return tokens.map((token, index) => blockToken(token, `${key}.${index}`));
}

function blockToken(token: Token, key: string): ReactNode {
  switch (token.type) {
    case "space":
      return null;
    case "paragraph":
      return <p key={key}>{inline((token as Tokens.Paragraph).tokens, key)}</p>;
    case "text": {
      // Inside a tight list item, a block-level text token carries its own inline tokens.
      const text = token as Tokens.Text;
      return <span key={key}>{text.tokens ? inline(text.tokens, key) : text.text}</span>;
    }
    case "code":
      return (
        <pre key={key} className="overflow-x-auto rounded-md bg-black/10 p-2 font-mono text-[0.85em] leading-snug dark:bg-black/30">
          <code>{(token as Tokens.Code).text}</code>
        </pre>
      );
    case "blockquote":
      return (
        <blockquote key={key} className="border-l-4 border-current/30 pl-2 opacity-90">
          {block((token as Tokens.Blockquote).tokens, key)}
        </blockquote>
      );
    case "list": {
      const list = token as Tokens.List;
      const items = list.items.map((item, index) => (
        <li key={`${key}.${index}`}>
          {item.task ? (item.checked ? "[x] " : "[ ] ") : null}
          {block(item.tokens.filter((t) => t.type !== "checkbox"), `${key}.${index}`)}
        </li>
      ));
      return list.ordered ? (
        <ol key={key} start={typeof list.start === "number" ? list.start : undefined} className="list-decimal pl-6">
          {items}
        </ol>
      ) : (
        <ul key={key} className="list-disc pl-5">
          {items}
        </ul>
      );
    }
    default:
      // Headings, tables, rules, raw HTML, definitions: the text as typed.
      return (
        <p key={key} className="whitespace-pre-wrap">
          {token.raw.replace(/\n+$/, "")}
        </p>
      );
  }
}

/** A message's text as React elements. */
export function renderMarkdown(text: string): ReactNode[] {
  return block(lexer().lex(text), "m");
}
