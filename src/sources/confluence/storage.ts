import { parseHTML } from 'linkedom';
import { htmlToMarkdown } from '../../ingest/loaders/html.js';

/** Macros whose body is the page's own content (panels, expanders); anything else (toc, jira…) is dropped. */
const CODE_MACROS = new Set(['code', 'noformat']);

/**
 * Confluence's storage format (XHTML with `ac:`/`ri:` elements) → Markdown. Code macros become fenced
 * code with their language; panels keep their body; links keep their text; images, emoticons and
 * macros that only render something else (a table of contents) are dropped. Headings and tables are
 * plain XHTML and go through the same HTML → Markdown path as every other page.
 */
export function storageToMarkdown(storage: string): string {
  const html = storage
    // CDATA holds code verbatim; an HTML parser would read it as a comment.
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, text: string) => escapeHtml(text))
    // An HTML parser ignores `/>` on unknown elements, which would then swallow what follows them.
    .replace(/<((?:ac|ri):[\w-]+)((?:\s+[^<>]*?)?)\s*\/>/g, '<$1$2></$1>');
  const document = parseHTML(`<!doctype html><html><body>${html}</body></html>`).document as unknown as Doc;
  const byTag = (root: Pick<El, 'getElementsByTagName'>, tag: string) => Array.from(root.getElementsByTagName(tag));
  const child = (el: El, tag: string) => Array.from(el.children).find((c) => c.tagName.toLowerCase() === tag);

  // Innermost first, so a code macro inside a panel is converted before the panel is unwrapped.
  for (const macro of byTag(document, 'ac:structured-macro').reverse()) {
    const name = macro.getAttribute('ac:name') ?? '';
    if (CODE_MACROS.has(name)) {
      const language = byTag(macro, 'ac:parameter').find((p) => p.getAttribute('ac:name') === 'language')?.textContent?.trim();
      const pre = document.createElement('pre');
      const code = document.createElement('code');
      if (language) code.setAttribute('class', `language-${language}`);
      code.textContent = child(macro, 'ac:plain-text-body')?.textContent ?? '';
      pre.appendChild(code);
      macro.replaceWith(pre);
      continue;
    }
    const body = child(macro, 'ac:rich-text-body');
    if (body) macro.replaceWith(...Array.from(body.childNodes));
    else macro.remove();
  }
  for (const link of byTag(document, 'ac:link')) {
    const text = (child(link, 'ac:plain-text-link-body') ?? child(link, 'ac:link-body'))?.textContent
      ?? link.querySelector('*')?.getAttribute('ri:content-title')
      ?? link.textContent;
    link.replaceWith(document.createTextNode(text ?? ''));
  }
  for (const task of byTag(document, 'ac:task')) {
    const li = document.createElement('li');
    li.append(`[${child(task, 'ac:task-status')?.textContent?.trim() === 'complete' ? 'x' : ' '}] `, ...Array.from(child(task, 'ac:task-body')?.childNodes ?? []));
    task.replaceWith(li);
  }
  for (const list of byTag(document, 'ac:task-list')) {
    const ul = document.createElement('ul');
    ul.append(...Array.from(list.childNodes));
    list.replaceWith(ul);
  }
  for (const tag of ['ac:image', 'ac:emoticon', 'ac:placeholder', 'ac:parameter']) for (const el of byTag(document, tag)) el.remove();
  return htmlToMarkdown(document.body.innerHTML);
}

/** The little of the DOM this needs (the project compiles without the DOM library). */
interface El {
  tagName: string;
  children: ArrayLike<El>;
  childNodes: ArrayLike<object>;
  textContent: string | null;
  innerHTML: string;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  getElementsByTagName(tag: string): ArrayLike<El>;
  querySelector(selector: string): El | null;
  replaceWith(...nodes: Array<object | string>): void;
  append(...nodes: Array<object | string>): void;
  appendChild(node: object): void;
  remove(): void;
}
interface Doc extends Pick<El, 'getElementsByTagName'> {
  body: El;
  createElement(tag: string): El;
  createTextNode(text: string): object;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
