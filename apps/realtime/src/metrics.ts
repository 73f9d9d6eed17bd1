import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** Prometheus metrics of one instance, served at GET /metrics. */
export function createMetrics() {
  const registry = new Registry();
  const metrics = {
    registry,
    streamsOpen: new Gauge({
      name: "parley_streams_open",
      help: "Open Subscribe streams",
      registers: [registry],
    }),
    usersOnline: new Gauge({
      name: "parley_users_online_local",
      help: "Users with a stream here",
      registers: [registry],
    }),
    messagesIn: new Counter({
      name: "parley_messages_in_total",
      help: "Messages accepted by Send",
      registers: [registry],
    }),
    messagesStored: new Counter({
      name: "parley_messages_stored_total",
      help: "Messages stored by the persister",
      registers: [registry],
    }),
    eventsOut: new Counter({
      name: "parley_events_out_total",
      help: "Events written to streams",
      labelNames: ["kind"],
      registers: [registry],
    }),
    deliveryLatency: new Histogram({
      name: "parley_delivery_latency_seconds",
      help: "From Send accepting a message to a stream writing it",
      // Fine below 100 ms (the delivery target), so the dashboard's percentiles mean something.
      buckets: [
        0.001, 0.0025, 0.005, 0.01, 0.015, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10,
      ],
      registers: [registry],
    }),
    persistBatch: new Histogram({
      name: "parley_persister_batch_size",
      help: "Records per persisted batch",
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers: [registry],
    }),
    consumerLag: new Gauge({
      name: "parley_persister_lag",
      help: "Records accepted, not yet stored",
      registers: [registry],
    }),
    sendsRefused: new Counter({
      name: "parley_sends_refused_total",
      help: "Sends refused by admission control, by reason",
      labelNames: ["reason"],
      registers: [registry],
    }),
    errors: new Counter({
      name: "parley_rpc_errors_total",
      help: "Failed calls by code",
      labelNames: ["code"],
      registers: [registry],
    }),
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
