import type { NextConfig } from 'next';

const config: NextConfig = {
  // Offline and quiet: no telemetry (NEXT_TELEMETRY_DISABLED=1 is set too), no image service.
  images: { unoptimized: true },
  poweredByHeader: false,
};

export default config;
