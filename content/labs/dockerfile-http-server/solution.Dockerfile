# 작은 파이썬 HTTP 서버 이미지
FROM python:3.13-slim

WORKDIR /app
COPY server.py .

RUN useradd --create-home --uid 10001 app
USER app

EXPOSE 8000
CMD ["python", "server.py"]
