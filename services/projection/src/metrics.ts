import { Counter, Gauge, type Registry } from 'prom-client';
import type { ProjectionConsumer } from '@syv/kafka-projection';
import type { OutboxRelay } from '@syv/event-store';
import type { AlertHub } from './alerts/hub.js';
import type { Sweep } from './sweep/sweep.js';

interface ProjectionMetrics {
  alertsRaised: Counter<'rule'>;
  closuresAssessed: Counter<'flagged'>;
}

/** The projection's own series beside the HTTP ones; gauges read the live parts when scraped. */
export function registerProjectionMetrics(registry: Registry, parts: { consumer: () => ProjectionConsumer | undefined; relay: OutboxRelay; hub: AlertHub; sweep: () => Sweep | undefined }): ProjectionMetrics {
  new Gauge({
    name: 'projection_consumer_lag_messages',
    help: 'case-events messages behind the high watermark',
    registers: [registry],
    collect() {
      this.set(parts.consumer()?.lag() ?? 0);
    },
  });
  new Gauge({
    name: 'projection_events_applied',
    help: 'case events applied to the read model since start',
    registers: [registry],
    collect() {
      this.set(parts.consumer()?.stats().applied ?? 0);
    },
  });
  new Gauge({
    name: 'projection_apply_transactions',
    help: 'transactions (slices of a fetch) the case events were applied in since start: events applied / this = mean slice',
    registers: [registry],
    collect() {
      this.set(parts.consumer()?.stats().batches ?? 0);
    },
  });
  new Gauge({
    name: 'projection_outbox_published',
    help: 'closure assessments and alert events relayed to Kafka since start',
    registers: [registry],
    collect() {
      this.set(parts.relay.metrics.publishedTotal);
    },
  });
  new Gauge({
    name: 'projection_alert_stream_clients',
    help: 'supervisors connected to the alert stream of this instance',
    registers: [registry],
    collect() {
      this.set(parts.hub.listeners());
    },
  });
  new Gauge({
    name: 'projection_sweep_runs',
    help: 'time-rule sweeps run by this instance since start',
    registers: [registry],
    collect() {
      this.set(parts.sweep()?.metrics.runs ?? 0);
    },
  });
  new Gauge({
    name: 'projection_sweep_last_round_seconds',
    help: "how long this instance's last completed sweep round took",
    registers: [registry],
    collect() {
      this.set(parts.sweep()?.metrics.lastRound?.seconds ?? 0);
    },
  });
  new Gauge({
    name: 'projection_sweep_last_round_cases',
    help: "cases this instance's last completed sweep round checked",
    registers: [registry],
    collect() {
      this.set(parts.sweep()?.metrics.lastRound?.cases ?? 0);
    },
  });
  return {
    alertsRaised: new Counter({ name: 'projection_alerts_raised_total', help: 'alerts raised by this instance, by rule', labelNames: ['rule'] as const, registers: [registry] }),
    closuresAssessed: new Counter({ name: 'projection_closures_assessed_total', help: 'closure requests assessed', labelNames: ['flagged'] as const, registers: [registry] }),
  };
}
