import type { BlockObjectResponse, RichTextItemResponse } from '@notionhq/client';

/** A block with its children already fetched (Notion returns them only on request, `has_children`). */
export interface BlockNode {
  block: BlockObjectResponse;
  children: BlockNode[];
}

/**
 * A page's blocks as Markdown, so headings split the chunks and code and tables survive as they do
 * for local Markdown. Blocks that hold no text (images, files, embeds without a caption, child
 * databases) are left out; a child page is its own item and appears here as its title.
 */
export function blocksToMarkdown(nodes: BlockNode[], indent = ''): string {
  const out: string[] = [];
  let number = 0;
  for (const node of nodes) {
    number = node.block.type === 'numbered_list_item' ? number + 1 : 0;
    const text = blockToMarkdown(node, indent, number);
    if (text !== '') out.push(text);
  }
  return out.join('\n\n');
}

function blockToMarkdown({ block, children }: BlockNode, indent: string, number: number): string {
  const nested = (prefix = '  ') => (children.length > 0 ? `\n\n${blocksToMarkdown(children, indent + prefix)}` : '');
  const line = (s: string) => `${indent}${s}`;
  switch (block.type) {
    case 'paragraph':
      return joinNonEmpty(line(rich(block.paragraph.rich_text)), nested());
    case 'heading_1':
    case 'heading_2':
    case 'heading_3': {
      const level = Number(block.type.slice(-1));
      const heading = block.type === 'heading_1' ? block.heading_1 : block.type === 'heading_2' ? block.heading_2 : block.heading_3;
      // A toggle heading keeps its content under it.
      return joinNonEmpty(`${'#'.repeat(level)} ${rich(heading.rich_text)}`, children.length > 0 ? `\n\n${blocksToMarkdown(children, indent)}` : '');
    }
    case 'bulleted_list_item':
      return line(`- ${rich(block.bulleted_list_item.rich_text)}`) + nested();
    case 'numbered_list_item':
      return line(`${number}. ${rich(block.numbered_list_item.rich_text)}`) + nested('   ');
    case 'to_do':
      return line(`- [${block.to_do.checked ? 'x' : ' '}] ${rich(block.to_do.rich_text)}`) + nested();
    case 'toggle':
      return line(`- ${rich(block.toggle.rich_text)}`) + nested();
    case 'quote':
      return line(`> ${rich(block.quote.rich_text)}`) + nested();
    case 'callout':
      return line(`> ${rich(block.callout.rich_text)}`) + nested();
    case 'code': {
      const fence = '```';
      const body = block.code.rich_text.map((t) => t.plain_text).join('');
      return [line(`${fence}${block.code.language === 'plain text' ? '' : block.code.language}`), ...body.split('\n').map(line), line(fence)].join('\n');
    }
    case 'equation':
      return line(`$$ ${block.equation.expression} $$`);
    case 'divider':
      return line('---');
    case 'table':
      return table(children, block.table.has_column_header, indent);
    case 'child_page':
      return line(`**${block.child_page.title}**`);
    case 'bookmark':
      return line(`<${block.bookmark.url}>`);
    case 'image':
    case 'video':
    case 'file':
    case 'pdf':
    case 'audio':
    case 'embed':
      return line(rich((block as unknown as Record<string, { caption: RichTextItemResponse[] }>)[block.type]!.caption));
    case 'column_list':
    case 'column':
    case 'synced_block':
    case 'template':
      return blocksToMarkdown(children, indent);
    default:
      return '';
  }
}

/** A Notion table: its children are `table_row`s of cells, each a rich-text array. */
function table(rows: BlockNode[], header: boolean, indent: string): string {
  const cells = rows.flatMap((r) => (r.block.type === 'table_row' ? [r.block.table_row.cells.map((c) => rich(c).replace(/\|/g, '\\|').replace(/\n/g, ' '))] : []));
  if (cells.length === 0) return '';
  const width = Math.max(...cells.map((r) => r.length));
  const row = (r: string[]) => `${indent}| ${Array.from({ length: width }, (_, i) => r[i] ?? '').join(' | ')} |`;
  const [first, ...rest] = header ? cells : [Array<string>(width).fill(''), ...cells];
  return [row(first!), `${indent}|${' --- |'.repeat(width)}`, ...rest.map(row)].join('\n');
}

/** Rich text with the annotations Markdown can carry: code, bold, italic, strikethrough, links. */
export function rich(items: RichTextItemResponse[]): string {
  return items
    .map((t) => {
      let s = t.plain_text;
      if (s.trim() === '') return s;
      const a = t.annotations;
      if (a.code) s = `\`${s}\``;
      if (a.bold) s = `**${s}**`;
      if (a.italic) s = `*${s}*`;
      if (a.strikethrough) s = `~~${s}~~`;
      return t.href ? `[${s}](${t.href})` : s;
    })
    .join('');
}

function joinNonEmpty(head: string, tail: string): string {
  return head.trim() === '' ? tail.trimStart() : head + tail;
}
