import { clockTime, prettyEvent, prettyJson } from './pretty-json';

describe('pretty JSON', () => {
  it('indents from the text itself, keeping every digit', () => {
    expect(prettyJson('{"n":12345678901234567890,"a":[1,{"b":null}],"e":{},"l":[]}', false)).toBe(
      '{\n  "n": 12345678901234567890,\n  "a": [\n    1,\n    {\n      "b": null\n    }\n  ],\n  "e": {},\n  "l": []\n}',
    );
  });

  it('keeps strings with escapes, colons and commas whole', () => {
    expect(prettyJson('{"k:\\"1,2":"v, w: {x}"}', false)).toBe('{\n  "k:\\"1,2": "v, w: {x}"\n}');
  });

  it('colours keys, strings, numbers and literals', () => {
    expect(prettyJson('{"k":"v","n":-1.5e3,"t":true}', true)).toBe(
      '{\n  \u001b[36m"k"\u001b[39m: \u001b[32m"v"\u001b[39m,\n  \u001b[36m"n"\u001b[39m: \u001b[33m-1.5e3\u001b[39m,\n  \u001b[36m"t"\u001b[39m: \u001b[35mtrue\u001b[39m\n}',
    );
  });

  it('heads an event with the time it arrived and its room', () => {
    const at = new Date(2026, 0, 2, 3, 4, 5, 6);
    expect(clockTime(at)).toBe('03:04:05.006');
    expect(prettyEvent('ITB-1101', '{"a":1}', at, false)).toBe(
      '03:04:05.006 ITB-1101\n{\n  "a": 1\n}\n',
    );
  });
});
