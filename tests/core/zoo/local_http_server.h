#pragma once
// A tiny HTTP/1.1 server on 127.0.0.1 (random port) for download tests: one connection at a time,
// every response closes its connection. The test decides each response; the server records each
// request so that tests can check what was asked (Range, Authorization, none at all).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace phototune::test {

struct HttpRequest {
    std::string method;
    std::string path;
    std::map<std::string, std::string> headers; // lower-case names
};

struct HttpResponse {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::size_t send_bytes = std::string::npos; // send only this much of the body, then close
};

class LocalHttpServer {
public:
    using Handler = std::function<HttpResponse(const HttpRequest&)>;

    explicit LocalHttpServer(Handler handler) : m_handler(std::move(handler))
    {
        m_listen = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = 0;
        ::bind(m_listen, reinterpret_cast<sockaddr*>(&address), sizeof address);
        ::listen(m_listen, 8);
        socklen_t length = sizeof address;
        ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&address), &length);
        m_port = ntohs(address.sin_port);
        m_thread = std::thread([this] { serve(); });
    }

    ~LocalHttpServer()
    {
        m_stop = true;
        m_thread.join();
        ::close(m_listen);
    }

    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

    std::vector<HttpRequest> requests() const
    {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }

private:
    void serve()
    {
        while (!m_stop) {
            pollfd waiting{m_listen, POLLIN, 0};
            if (::poll(&waiting, 1, 20) <= 0) continue;
            const int client = ::accept(m_listen, nullptr, nullptr);
            if (client < 0) continue;
            handle(client);
            ::close(client);
        }
    }

    void handle(int client)
    {
        std::string raw;
        char buffer[4096];
        while (raw.find("\r\n\r\n") == std::string::npos) {
            const ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
            if (n <= 0) return;
            raw.append(buffer, static_cast<std::size_t>(n));
        }
        HttpRequest request;
        std::size_t line_end = raw.find("\r\n");
        const std::string first = raw.substr(0, line_end);
        const auto space1 = first.find(' ');
        const auto space2 = first.find(' ', space1 + 1);
        request.method = first.substr(0, space1);
        request.path = first.substr(space1 + 1, space2 - space1 - 1);
        for (std::size_t start = line_end + 2; (line_end = raw.find("\r\n", start)) != start; start = line_end + 2) {
            const std::string line = raw.substr(start, line_end - start);
            const auto colon = line.find(':');
            std::string name = line.substr(0, colon);
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            request.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
        }
        {
            std::lock_guard lock(m_mutex);
            m_requests.push_back(request);
        }
        const HttpResponse response = m_handler(request);
        std::string head = "HTTP/1.1 " + std::to_string(response.status) + " X\r\nConnection: close\r\n";
        bool has_length = false;
        for (const auto& [name, value] : response.headers) {
            head += name + ": " + value + "\r\n";
            has_length = has_length || name == "Content-Length";
        }
        if (!has_length) head += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
        head += "\r\n";
        if (request.method != "HEAD") head += response.body.substr(0, response.send_bytes);
        for (std::size_t sent = 0; sent < head.size();) {
            const ssize_t n = ::send(client, head.data() + sent, head.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) return; // the client went away (a cancelled download)
            sent += static_cast<std::size_t>(n);
        }
    }

    Handler m_handler;
    int m_listen = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::vector<HttpRequest> m_requests;
};

} // namespace phototune::test
