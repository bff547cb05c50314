// JBReport: placeholder until its issue lands.
