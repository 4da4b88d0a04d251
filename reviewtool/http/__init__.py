"""What both HTTP faces share: the transaction around each request, error answers, and the
memo attachment."""
