import { describeUpstashConformance } from './support/conformance.js';

// What `Redis.fromEnv()` gives by default: the client JSON-parses every string it receives
// (so a stored "42" would come back as a number). The store must not be affected.
describeUpstashConformance('client with automatic deserialization', {
  autoPipelining: true,
  automaticDeserialization: true,
});
