import { beforeEach } from 'vitest';
import { markE2eFailed } from './logs.js';

// Setup file of the e2e project: a failing test marks its file, so its services' log is printed.
beforeEach(({ onTestFailed, task }) => {
  onTestFailed(() => markE2eFailed(task.file.filepath));
});
