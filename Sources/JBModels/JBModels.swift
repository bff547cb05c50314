// JBModels: placeholder until its issue lands.
