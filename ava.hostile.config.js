// The hostile suite (test/hostile/*.attack.ts): attacks on the built CLI in child processes,
// measuring their RSS and descriptors, so it runs alone, one file and one test at a time, after
// the main suite: `npm run test:hostile` (after `npm run build`).
export default {
  files: ['dist/test/hostile/**/*.attack.js'],
  concurrency: 1,
  serial: true,
  timeout: '5m',
  workerThreads: false,
};
