// Hostile strings for the XSS battery. Each one calls the `__xss(id)` probe (or opens a dialog)
// if it is ever parsed as markup or code. All fit a display name (80 characters, no surrounding
// whitespace) so the same list serves messages, names and group names.

export const XSS_PAYLOADS: readonly string[] = [
  "<script>__xss(1)</script>",
  "<img src=x onerror=__xss(2)>",
  "<svg onload=__xss(3)>",
  "<svg><script>__xss(4)</script></svg>",
  `<iframe srcdoc="<script>parent.__xss(5)</script>"></iframe>`,
  `<iframe src="javascript:parent.__xss(6)"></iframe>`,
  `<a href="javascript:__xss(7)">click me</a>`,
  "javascript:__xss(8)",
  "<body onload=__xss(9)>",
  "<details open ontoggle=__xss(10)>",
  "<input autofocus onfocus=__xss(11)>",
  `<div style="background:url(javascript:__xss(12))">x</div>`,
  `<div style="width:expression(__xss(13))">x</div>`,
  `<style>@import "javascript:__xss(14)";</style>`,
  "[click](javascript:__xss(15))",
  `![x](x" onerror="__xss(16))`,
  "${__xss(17)}",
  "{{constructor.constructor('__xss(18)')()}}",
  // Mutation XSS: markup that changes meaning when a sanitizer's output is parsed again.
  `<noscript><p title="</noscript><img src=x onerror=__xss(19)>">`,
  "<svg><style><img src=x onerror=__xss(20)></style></svg>",
  "<math><mtext><table><mglyph><style><img src=x onerror=__xss(21)>",
  // Escaped and look-alike forms: only dangerous to code that decodes before rendering.
  String.raw`\u003cscript\u003e__xss(22)\u003c/script\u003e`,
  "&lt;img src=x onerror=__xss(23)&gt;",
  "＜script＞__xss(24)＜/script＞",
  `"><script>__xss(25)</script>`,
  "'-__xss(26)-'",
  `<object data="javascript:__xss(27)"></object>`,
  `<embed src="data:text/html,<script>parent.__xss(28)</script>">`,
  `<meta http-equiv="refresh" content="0;url=javascript:__xss(29)">`,
  "<video><source onerror=__xss(30)></video>",
  "<marquee onstart=__xss(31)>",
  "%3Cscript%3E__xss(32)%3C/script%3E",
  "<scr<script>ipt>__xss(33)</scr</script>ipt>",
  `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgzNCk8L3NjcmlwdD4=">x</a>`,
  `<img src=x onerror="alert(35)">`,
  "<IMG SRC=x OnErRoR=__xss(36)>",
  "<svg/onload=__xss&#40;37&#41;>",
  `<form action="javascript:__xss(38)"><button>go</button></form>`,
  "<x contenteditable onfocus=__xss(39) autofocus>",
  // A JavaScript identifier may be written with unicode escapes: this one is `alert`.
  String.raw`<img src=x onerror=\u0061lert(40)>`,
];
