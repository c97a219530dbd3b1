import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '../../../..');
const FIXTURE = join(__dirname, 'typed-events.fixture.ts');
const DIRECTIVE = '// @ts-expect-error';

/** The repo's compiler options (strict, paths to the @ces packages), type-checking for real. */
function compilerOptions(): ts.CompilerOptions {
  const configFile = join(ROOT, 'tsconfig.json');
  const { config } = ts.readConfigFile(configFile, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, configFile);
  return { ...parsed.options, noEmit: true, incremental: false, skipLibCheck: true };
}

/** Compiles `source` in place of the fixture; returns the 1-based lines that have errors. */
function errorLines(source: string): { lines: number[]; messages: string[] } {
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (path) => (path === FIXTURE ? source : readFile(path));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (path, language, onError, create) =>
    path === FIXTURE
      ? ts.createSourceFile(path, source, language, true)
      : getSourceFile(path, language, onError, create);
  const program = ts.createProgram([FIXTURE], options, host);
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file?.fileName === FIXTURE);
  return {
    lines: [
      ...new Set(diagnostics.map((d) => d.file!.getLineAndCharacterOfPosition(d.start!).line + 1)),
    ].sort((a, b) => a - b),
    messages: diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
  };
}

describe('the messenger’s typed events (compiled with the TypeScript compiler)', () => {
  const source = readFileSync(FIXTURE, 'utf8');

  it('compiles the fixture as it stands: every expected error is there', () => {
    expect(errorLines(source).messages).toEqual([]);
  }, 60_000);

  it('fails exactly on the marked lines once the directives are removed', () => {
    const lines = source.split('\n');
    const marked = lines.flatMap((line, index) =>
      line.trim().startsWith(DIRECTIVE) ? [index + 2] : [],
    );
    expect(marked.length).toBeGreaterThanOrEqual(10);
    const stripped = lines
      .map((line) => (line.trim().startsWith(DIRECTIVE) ? '// (expected error below)' : line))
      .join('\n');
    const result = errorLines(stripped);
    expect(result.lines).toEqual(marked);
    expect(result.messages.join('\n')).toMatch(/"evnet"/);
  }, 60_000);
});
