import Foundation

#if canImport(Glibc)
    import Glibc

    /// Watches folders recursively with inotify and calls `onChange` once per burst of changes.
    ///
    /// Editors that save by writing a temporary file and renaming it over the original are seen through
    /// `IN_MOVED_TO`; new sub-folders are watched as they appear. Changes closer together than `quietPeriod`
    /// are coalesced into one call.
    public final class DirectoryWatcher: @unchecked Sendable {
        private let roots: [URL]
        private let quietPeriod: TimeInterval
        private let onChange: @Sendable () -> Void
        private let lock = NSLock()
        private var descriptor: Int32 = -1
        private var watches: [Int32: String] = [:]
        private var running = false
        private var pending: DispatchWorkItem?
        private let queue = DispatchQueue(label: "careers.watcher")

        public init(roots: [URL], quietPeriod: TimeInterval = 0.15, onChange: @escaping @Sendable () -> Void) {
            self.roots = roots
            self.quietPeriod = quietPeriod
            self.onChange = onChange
        }

        /// Starts watching on a background thread.
        public func start() throws {
            let fd = inotify_init1(Int32(IN_CLOEXEC))
            guard fd >= 0 else { throw WatchError.cannotWatch(String(cString: strerror(errno))) }
            lock.lock()
            descriptor = fd
            running = true
            lock.unlock()
            for root in roots { addWatches(below: root.path) }
            let thread = Thread { [weak self] in self?.readLoop(fd) }
            thread.name = "careers-watcher"
            thread.start()
        }

        /// Stops watching; the background thread ends at its next wake-up.
        public func stop() {
            lock.lock()
            running = false
            let fd = descriptor
            descriptor = -1
            pending?.cancel()
            lock.unlock()
            if fd >= 0 { close(fd) }
        }

        private static let mask = UInt32(
            IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE_SELF | IN_ATTRIB)

        private func addWatches(below path: String) {
            lock.lock()
            let fd = descriptor
            lock.unlock()
            guard fd >= 0 else { return }
            let wd = inotify_add_watch(fd, path, Self.mask)
            if wd >= 0 {
                lock.lock()
                watches[wd] = path
                lock.unlock()
            }
            let children = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            for child in children {
                var isFolder: ObjCBool = false
                let full = path + "/" + child
                if FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), isFolder.boolValue {
                    addWatches(below: full)
                }
            }
        }

        private func readLoop(_ fd: Int32) {
            let size = 64 * 1024
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
            defer { buffer.deallocate() }
            while true {
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&poller, 1, 250)
                lock.lock()
                let stillRunning = running
                lock.unlock()
                guard stillRunning else { return }
                if ready <= 0 { continue }
                let count = read(fd, buffer, size)
                guard count > 0 else { continue }
                var offset = 0
                while offset + MemoryLayout<inotify_event>.size <= count {
                    let event = buffer.load(fromByteOffset: offset, as: inotify_event.self)
                    let nameLength = Int(event.len)
                    if event.mask & UInt32(IN_ISDIR) != 0, event.mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0, nameLength > 0 {
                        let namePointer = buffer.advanced(by: offset + MemoryLayout<inotify_event>.size).assumingMemoryBound(to: CChar.self)
                        lock.lock()
                        let parent = watches[event.wd]
                        lock.unlock()
                        if let parent { addWatches(below: parent + "/" + String(cString: namePointer)) }
                    }
                    offset += MemoryLayout<inotify_event>.size + nameLength
                }
                schedule()
            }
        }

        /// Runs `onChange` once the changes have been quiet for `quietPeriod`.
        private func schedule() {
            let work = DispatchWorkItem { [onChange] in onChange() }
            lock.lock()
            pending?.cancel()
            pending = work
            lock.unlock()
            queue.asyncAfter(deadline: .now() + quietPeriod, execute: work)
        }
    }

    public enum WatchError: Error, CustomStringConvertible {
        case cannotWatch(String)
        public var description: String {
            switch self {
            case .cannotWatch(let reason): "cannot watch for changes: \(reason)"
            }
        }
    }
#endif
