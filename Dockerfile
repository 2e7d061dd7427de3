# The pipeline image for docker-compose's one-shot loader: the embedded default (LAC), no HanLP.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY kg ./kg
COPY ontology ./ontology
COPY queries ./queries
# ontology/ and queries/ are package data of the wheel (pyproject.toml), so kg finds them anywhere
COPY corpus ./corpus
RUN pip install --no-cache-dir .
CMD ["kg", "build", "corpus", "--out", "/data/out"]
