// JBPipeline: placeholder until its issue lands.
