# One image for all three processes; docker-compose.yml picks the process by command,
# the same `python -m bot serve ...` commands `make run` starts.
FROM python:3.10-slim
ENV UV_PYTHON_DOWNLOADS=never UV_LINK_MODE=copy PYTHONUNBUFFERED=1 \
    PATH="/app/.venv/bin:$PATH" HERSTELGIDS_MODE=production
WORKDIR /app
RUN pip install --no-cache-dir uv==0.13.9
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project --python /usr/local/bin/python3.10
COPY bot ./bot
COPY actions ./actions
COPY data ./data
COPY config.yml domain.yml endpoints.yml credentials.yml ./
RUN useradd --create-home herstelgids && mkdir -p var models && chown herstelgids var models
USER herstelgids
CMD ["python", "-m", "bot", "serve", "gateway"]
