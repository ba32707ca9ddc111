"""Product search: one interface (`catalog.search.service`), two backends
(Elasticsearch through `elasticsearch.dsl`, and the database), fed by one
document builder (`documents`) and one Persian normaliser (`normalize`)."""
