# The MLflow tracking server of docker/compose.yaml: MLflow at the version the tests pin, plus the Postgres driver
# that the official MLflow image leaves out (its server cannot open a postgresql:// backend store without it).
FROM python:3.12-slim
ARG MLFLOW_VERSION=3.17.2
RUN pip install --no-cache-dir "mlflow==${MLFLOW_VERSION}" "psycopg2-binary==2.9.13" \
 && useradd --create-home --uid 10002 --shell /usr/sbin/nologin mlflow \
 && mkdir -p /mlartifacts \
 && chown mlflow:mlflow /mlartifacts
USER 10002:10002
WORKDIR /home/mlflow
EXPOSE 5000
CMD ["mlflow", "server", "--host", "0.0.0.0", "--port", "5000"]
