import { describe, expect, it } from 'vitest';
import { storageToMarkdown } from '../../../src/sources/confluence/storage.js';

describe('Confluence storage format → Markdown', () => {
  it('keeps the text after self-closing ac:/ri: elements, and link titles', () => {
    const md = storageToMarkdown('<p>Hi <ac:emoticon ac:name="smile" /> there, see <ac:link><ri:page ri:content-title="Runbook" /></ac:link> and <ac:link><ri:page ri:content-title="X" /><ac:plain-text-link-body><![CDATA[the FAQ]]></ac:plain-text-link-body></ac:link>.</p><p>Next</p>');
    expect(md).toBe('Hi there, see Runbook and the FAQ.\n\nNext');
  });

  it('turns code macros inside panels into fenced code, keeps the panel text, drops render-only macros and images', () => {
    const md = storageToMarkdown(
      '<ac:structured-macro ac:name="toc" /><h2>Run</h2><ac:structured-macro ac:name="info"><ac:parameter ac:name="title">Tip</ac:parameter><ac:rich-text-body><p>Use the CLI.</p>' +
        '<ac:structured-macro ac:name="code"><ac:parameter ac:name="language">python</ac:parameter><ac:plain-text-body><![CDATA[if a < b and c > d:\n    print("<ok>")]]></ac:plain-text-body></ac:structured-macro>' +
        '</ac:rich-text-body></ac:structured-macro><ac:image><ri:attachment ri:filename="diagram.png" /></ac:image><p>Done.</p>',
    );
    expect(md).toBe('## Run\n\nUse the CLI.\n\n```python\nif a < b and c > d:\n    print("<ok>")\n```\n\nDone.');
  });

  it('turns a task list into a checklist', () => {
    const md = storageToMarkdown('<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>complete</ac:task-status><ac:task-body>Ship it</ac:task-body></ac:task><ac:task><ac:task-id>2</ac:task-id><ac:task-status>incomplete</ac:task-status><ac:task-body>Tell people</ac:task-body></ac:task></ac:task-list>');
    expect(md).toMatch(/^-\s+\\\[x\\\] Ship it\n-\s+\\\[ \\\] Tell people$/);
  });
});
