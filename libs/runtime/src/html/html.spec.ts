import { describe, expect, it } from 'vitest';
import { escapeHtml, html, trusted } from './html';

describe('html', () => {
  it('escapes every interpolated string', () => {
    const name = '<script>alert("x")</script> & \'y\'';
    expect(html`<td>${name}</td>`.value).toBe(
      '<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</td>',
    );
  });

  it('escapes inside attributes too', () => {
    expect(html`<a title="${'" onmouseover="x'}">`.value).toBe('<a title="&quot; onmouseover=&quot;x">');
  });

  it('nests safe fragments without escaping them twice, and escapes array items', () => {
    const rows = ['<b>', 'a&b'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${rows}</ul>`.value).toBe('<ul><li>&lt;b&gt;</li><li>a&amp;b</li></ul>');
    expect(html`${['<i>']}`.value).toBe('&lt;i&gt;');
  });

  it('writes nothing for null, undefined and false; numbers as text', () => {
    expect(html`[${null}${undefined}${false}${0}${92.5}]`.value).toBe('[092.5]');
  });

  it('passes trusted markup through', () => {
    expect(html`${trusted('<br>')}`.value).toBe('<br>');
    expect(escapeHtml('`')).toBe('&#96;');
  });
});
