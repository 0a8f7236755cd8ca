import { describe, expect, it } from 'vitest';
import { examplePolicyExpiringIn } from '../../../../test/support/policies.ts';
import { parsePolicyYaml } from '../../../domain/policy/parse.ts';
import { policyMarkdownHtml } from './presenter.ts';

describe("the policy's Markdown as sanitised HTML for the web page", () => {
  it('renders every Markdown field under its path and lets no markup or script link through', async () => {
    const text = (await examplePolicyExpiringIn('leher')).text.replace(
      /^intro: .*$/m,
      'intro: "**Bold** <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) [ok](https://leher.example)"',
    );
    const policy = parsePolicyYaml(text);
    const html = policyMarkdownHtml(policy);
    expect(html.intro).toContain('<strong>Bold</strong>');
    expect(html.intro).toContain('<a href="https://leher.example"');
    expect(html.intro).not.toMatch(/<script|<img|javascript:|onerror=/i);
    expect(html.intro).toContain('&lt;script&gt;');
    expect(Object.keys(html)).toEqual(expect.arrayContaining(['intro', 'disclosure.steps.0', 'extra_sections.0.body']));
    expect(html['extra_sections.0.body']).toContain('<h3>');
  });
});
