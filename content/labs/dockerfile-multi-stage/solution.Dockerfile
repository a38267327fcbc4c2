# 1단계: 빌드 (컴파일러가 든 큰 이미지)
FROM golang:1.25 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/web .

# 2단계: 실행 (결과물만 담은 작은 이미지)
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/web /web
USER 65532
EXPOSE 8080
ENTRYPOINT ["/web"]
CMD ["--port=8080"]
