// JBQuery: placeholder until its issue lands.
