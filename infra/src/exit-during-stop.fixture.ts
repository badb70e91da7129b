// What `npm start` does when its stop outlasts STOP_TIMEOUT_MS: it starts a broker, the broker does
// not end on SIGTERM (here: frozen with SIGSTOP), and the process exits with the stop still under
// way. Prints the broker's pid first. Run by kafka-local.int.test.ts.
import { startLocalKafka } from './kafka-local.js';

const [dataDir, port, controllerPort] = process.argv.slice(2);
const broker = await startLocalKafka({ port: Number(port), controllerPort: Number(controllerPort), dataDir: dataDir!, log: () => undefined });
console.log(JSON.stringify({ pid: broker.pid }));
process.kill(broker.pid, 'SIGSTOP');
void broker.stop();
setTimeout(() => process.exit(1), 500);
