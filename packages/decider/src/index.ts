export { accept, fold, reject, type Decider, type Decision, type Rejection } from './decider.js';
