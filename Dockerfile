# The pipeline image for docker-compose's one-shot loader: the embedded default (LAC), no HanLP.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY kg ./kg
COPY ontology ./ontology
COPY queries ./queries
COPY corpus ./corpus
RUN pip install --no-cache-dir .
ENV KG_ONTOLOGY_DIR=/app/ontology
CMD ["kg", "build", "corpus", "--out", "/data/out"]
