// An unhandled rejection or uncaught exception anywhere in a test file fails that file,
// instead of being printed and forgotten.
const problems: unknown[] = [];
const record = (reason: unknown) => problems.push(reason);

beforeAll(() => {
  process.on('unhandledRejection', record);
  process.on('uncaughtException', record);
});

afterAll(() => {
  process.off('unhandledRejection', record);
  process.off('uncaughtException', record);
  if (problems.length > 0) {
    throw new Error(`unhandled error(s) during this test file: ${problems.map(String).join('; ')}`);
  }
});
