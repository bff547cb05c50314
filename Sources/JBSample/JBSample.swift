// JBSample: placeholder until its issue lands.
