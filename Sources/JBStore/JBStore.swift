// JBStore: placeholder until its issue lands.
