import { describe, expect, it } from 'vitest';
import { TOKEN_TYPE, Tokenizer } from '../../../harness/model/tokenizer/index.ts';
import { compileTemplate, renderTemplate } from '../../../harness/model/tokenizer/jinja.ts';

/**
 * Expected output from Python's jinja2 3.1.6, as transformers renders chat templates:
 *
 *     from jinja2.sandbox import ImmutableSandboxedEnvironment
 *     env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
 *     env.from_string(TEMPLATE).render(flag=True, nothing=None, n=3, messages=[{'ok': True}, {'ok': None}])
 */
const TEMPLATE =
  "{{ true }}|{{ false }}|{{ none }}|{{ flag }}|{{ nothing }}|{{ missing }}|{{ n }}|{{ 1.0 }}|{{ [true, none, 'a', \"it's\", 'q\"\\'', 1, 2.5] }}|{{ {'k': false, 'v': [none]} }}|{{ (1, true) }}|{{ 'x' ~ true ~ none ~ 3 }}|{{ flag | string }}|{{ nothing | string | length }}|{% if flag %}{{ flag }}{% endif %}|{% for m in messages %}{{ m.ok }},{% endfor %}|{% set s = 'on=' ~ flag %}{{ s }}|{{ messages[0] }}|{{ {'k': 'a' ~ false} }}";
const JINJA2_OUTPUT =
  "True|False|None|True|None||3|1.0|[True, None, 'a', \"it's\", 'q\"\\'', 1, 2.5]|{'k': False, 'v': [None]}|(1, True)|xTrueNone3|True|4|True|True,None,|on=True|{'ok': True}|{'k': 'aFalse'}";

describe('chat template rendering', () => {
  it('prints booleans, None, lists, dicts and tuples as jinja2 does, in output, ~ and the string filter', () => {
    const context = { flag: true, nothing: null, n: 3, messages: [{ ok: true }, { ok: null }] };
    expect(renderTemplate(compileTemplate(TEMPLATE), context)).toBe(JINJA2_OUTPUT);
  });

  it("renders a model's chat template the same way", () => {
    const t = new Tokenizer({
      tokens: ['<s>', 'a'],
      tokenTypes: [TOKEN_TYPE.control, TOKEN_TYPE.normal],
      merges: [],
      preTokenizer: 'gpt-2',
      addBos: false,
      chatTemplate:
        '{% for m in messages %}{{ m.content }}{% endfor %}|{{ add_generation_prompt }}|{{ bos_token }}',
    });
    // jinja2 renders 'hi|True|' and 'hi|False|' (bos_token is '' when the model has none).
    expect(t.renderChat([{ role: 'user', content: 'hi' }], { addGenerationPrompt: true })).toBe('hi|True|');
    expect(t.renderChat([{ role: 'user', content: 'hi' }], { addGenerationPrompt: false })).toBe('hi|False|');
  });
});
