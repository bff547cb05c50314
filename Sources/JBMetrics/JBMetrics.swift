// JBMetrics: placeholder until its issue lands.
